/**
 * The agent's own small Kubernetes client on the JDK's {@code java.net.http} (issue 22: fabric8's
 * client, model and YAML cost ~1,700 loaded classes for the handful of calls the agent makes).
 * {@link io.kapro.agent.kube.KubeConfig} finds the API server as kubectl and fabric8 do (a
 * kubeconfig file, else the pod's service account); {@link io.kapro.agent.kube.KubeClient} gets,
 * lists, creates, updates and JSON-patches objects as Jackson trees, every answer bounded and timed
 * out; {@link io.kapro.agent.kube.KubeWatch} keeps a list-then-watch of one resource.
 */
package io.kapro.agent.kube;
