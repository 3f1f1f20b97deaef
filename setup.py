# Lets Beam's --setup_file stage winnow on remote workers; all metadata lives in pyproject.toml.
from setuptools import setup

setup()
