"""`make bench`: throughput and memory of winnow's stages, side by side with peer tools."""
