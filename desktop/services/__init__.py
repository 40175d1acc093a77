"""Use cases: the only layer that opens sessions and commits. Plain data in, DTOs and Changes out."""
