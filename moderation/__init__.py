"""Moderation scorers and their ensemble: the planned `moderation` stage (nothing here yet)."""
