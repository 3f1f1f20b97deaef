"""The base of every configuration section (its own module, so that sections defined elsewhere, such
as moderation/config.py, can build on it without importing the whole config)."""

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)
