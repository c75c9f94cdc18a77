{{/* Names, labels and the agent configuration, shared by the agent chart's templates. */}}
{{- define "kapro-agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kapro-agent.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "kapro-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kapro-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kapro-agent.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "kapro-agent.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kapro
app.kubernetes.io/component: agent
{{- end -}}

{{- define "kapro-agent.serviceAccountName" -}}
{{- default (include "kapro-agent.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "kapro-agent.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "kapro-agent.tokenSecret" -}}
{{- default (printf "%s-bootstrap" (include "kapro-agent.fullname" .)) .Values.bootstrapToken.existingSecret -}}
{{- end -}}

{{/* Required values, each with what to set. */}}
{{- define "kapro-agent.validate" -}}
{{- $v := .Values -}}
{{- $missing := list -}}
{{- if not $v.cluster.namespace }}{{ $missing = append $missing "cluster.namespace (the Cluster's namespace on the hub)" }}{{ end -}}
{{- if not $v.cluster.name }}{{ $missing = append $missing "cluster.name (the Cluster's name on the hub)" }}{{ end -}}
{{- if not $v.hub.address }}{{ $missing = append $missing "hub.address (host:port of the hub's agent gateway)" }}{{ end -}}
{{- if not $v.hub.ca }}{{ $missing = append $missing "hub.ca (PEM of the hub CA: Secret kapro-hub-ca, key tls.crt)" }}{{ end -}}
{{- if and (not $v.bundleSource.registry.url) (not $v.bundleSource.layout.path) }}{{ $missing = append $missing "bundleSource.registry.url or bundleSource.layout.path (where bundles come from)" }}{{ end -}}
{{- if not $v.trustedKeys }}{{ $missing = append $missing "trustedKeys (the Fleet's signing public key: kapro keys show)" }}{{ end -}}
{{- if not $v.allow }}{{ $missing = append $missing "allow (the objects and fields the hub may set)" }}{{ end -}}
{{- if $missing -}}
{{- fail (printf "\nkapro-agent needs these values:\n  - %s" (join "\n  - " $missing)) -}}
{{- end -}}
{{- if and $v.bundleSource.registry.url $v.bundleSource.layout.path -}}
{{- fail "set bundleSource.registry.url or bundleSource.layout.path, not both" -}}
{{- end -}}
{{- if and $v.bundleSource.layout.path (not $v.bundleSource.layout.volume) -}}
{{- fail "bundleSource.layout.path needs bundleSource.layout.volume (the volume holding the OCI layout)" -}}
{{- end -}}
{{- if and $v.bootstrapToken.token $v.bootstrapToken.existingSecret -}}
{{- fail "set bootstrapToken.token or bootstrapToken.existingSecret, not both" -}}
{{- end -}}
{{- end -}}

{{/* /etc/kapro/agent.yaml (AgentConfigLoader); file paths point at the mounts in the Deployment. */}}
{{- define "kapro-agent.config" -}}
{{- $v := .Values -}}
{{- $source := dict -}}
{{- if $v.bundleSource.layout.path -}}
{{- $_ := set $source "layout" (dict "path" $v.bundleSource.layout.path) -}}
{{- else -}}
{{- $r := $v.bundleSource.registry -}}
{{- $repo := default (printf "%s/%s/%s" $r.repositoryPrefix $v.cluster.namespace $v.cluster.name) $r.repository -}}
{{- $reg := dict "url" $r.url "repository" $repo "insecure" $r.insecure -}}
{{- if $r.caCert }}{{ $_ := set $reg "caFile" "/etc/kapro/config/registry-ca.crt" }}{{ end -}}
{{- if $r.credentialsSecret }}{{ $_ := set $reg "credentialsFile" "/etc/kapro/registry-auth/.dockerconfigjson" }}{{ end -}}
{{- $_ := set $source "registry" $reg -}}
{{- end -}}
{{- $keys := list -}}
{{- range $name, $_ := $v.trustedKeys }}{{ $keys = append $keys (printf "/etc/kapro/keys/%s" $name) }}{{ end -}}
{{- $config := dict
  "cluster" (dict "namespace" $v.cluster.namespace "name" $v.cluster.name)
  "hub" (dict "address" $v.hub.address "caFile" "/etc/kapro/config/hub-ca.crt")
  "bundleSource" $source
  "trustedKeys" $keys
  "pollInterval" $v.pollInterval
  "allow" $v.allow
  "stateDir" "/var/lib/kapro-agent"
  "health" (dict "address" "0.0.0.0" "port" (int $v.health.port))
  "bootstrapTokenFile" "/etc/kapro/bootstrap/token" -}}
{{- toYaml $config -}}
{{- end -}}
