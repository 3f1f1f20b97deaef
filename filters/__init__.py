"""Pure rule functions on texts and batches (no Beam), with thresholds from the config."""
