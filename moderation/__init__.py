"""Moderation: scorers (lexicons, shipped English models, optional torch/transformers models), their
ensemble policy, and the batch glue the `moderation` stage (transforms/moderation.py) calls."""
