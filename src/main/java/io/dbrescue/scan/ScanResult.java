package io.dbrescue.scan;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/** The whole answer of a scan, serialised as the {@code scan --json} contract. */
@JsonPropertyOrder({"root", "findings", "warnings", "stats"})
public record ScanResult(String root, List<Finding> findings, List<ScanWarning> warnings, ScanStats stats) {
}
