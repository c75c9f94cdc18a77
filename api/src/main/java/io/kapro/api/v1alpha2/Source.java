package io.kapro.api.v1alpha2;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Where new versions of one fleet unit come from: the hub watches it (an OCI repository's tags, a
 * Helm chart repository's versions, a Git repository's tags or branch head), records what it finds
 * in status, and promotes by the Fleet's {@code sources} policy.
 */
@Group(KaproApi.GROUP)
@Version(KaproApi.VERSION)
@ShortNames("ksrc")
@AdditionalPrinterColumn(
    name = "Fleet",
    jsonPath = ".spec.fleet",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Unit",
    jsonPath = ".spec.unit",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Latest",
    jsonPath = ".status.latest",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Proven",
    jsonPath = ".status.proven",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Available",
    jsonPath = ".status.available",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Source extends CustomResource<SourceSpec, SourceStatus> implements Namespaced {}
