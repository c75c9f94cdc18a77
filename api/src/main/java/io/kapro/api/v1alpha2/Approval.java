package io.kapro.api.v1alpha2;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A human decision (approve or reject) for a gated run, stage or target. */
@Group(KaproApi.GROUP)
@Version(KaproApi.VERSION)
@ShortNames("kap")
@AdditionalPrinterColumn(
    name = "Run",
    jsonPath = ".spec.run",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Stage",
    jsonPath = ".spec.stage",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Decision",
    jsonPath = ".spec.decision",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Approver",
    jsonPath = ".spec.approver",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Approval extends CustomResource<ApprovalSpec, ApprovalStatus> implements Namespaced {}
