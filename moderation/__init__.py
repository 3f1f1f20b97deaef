"""winnow."""
