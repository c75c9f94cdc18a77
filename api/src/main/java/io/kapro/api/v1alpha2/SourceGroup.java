package io.kapro.api.v1alpha2;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Several {@link Source}s of one fleet whose newest versions are promoted together, as one set
 * (Kargo's Freight): the hub records each new set it sees (every member's version, digest and
 * origin) and, with the Fleet's {@code sources} policy Auto, promotes the whole set in one
 * Promotion.
 */
@Group(KaproApi.GROUP)
@Version(KaproApi.VERSION)
@ShortNames("ksg")
@AdditionalPrinterColumn(
    name = "Fleet",
    jsonPath = ".spec.fleet",
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
    name = "Promoted",
    jsonPath = ".status.promoted",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class SourceGroup extends CustomResource<SourceGroupSpec, SourceGroupStatus>
    implements Namespaced {}
