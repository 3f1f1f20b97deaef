"""Beam glue: each stage as a PTransform over Arrow record batches."""
