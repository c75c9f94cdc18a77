package io.kapro.api.v1alpha2;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One workload cluster known to the hub; its labels decide stage membership. */
@Group(KaproApi.GROUP)
@Version(KaproApi.VERSION)
@ShortNames("kc")
@AdditionalPrinterColumn(
    name = "Connected",
    jsonPath = ".status.conditions[?(@.type==\"Connected\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Version",
    jsonPath = ".status.versionSummary",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Health",
    jsonPath = ".status.conditions[?(@.type==\"Degraded\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Drift",
    jsonPath = ".status.conditions[?(@.type==\"Drifted\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Last Seen",
    jsonPath = ".status.lastSeen",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Cluster extends CustomResource<ClusterSpec, ClusterStatus> implements Namespaced {}
