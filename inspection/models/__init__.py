"""Inspection findings and evidence bundles."""

from inspection.models.bundles import BundleStatus, EvidenceBundle
from inspection.models.findings import Finding, FindingKind, FindingSource, FindingStatus

__all__ = ["BundleStatus", "EvidenceBundle", "Finding", "FindingKind", "FindingSource", "FindingStatus"]
