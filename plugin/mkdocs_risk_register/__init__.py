"""mkdocs-risk-register: a risk register kept as code, published by MkDocs."""

from .diagnostics import ConfigError, Diagnostic
from .model import Model, model_from_settings
from .register import Register, build_date_from_env, load_register
from .risk import Risk

__all__ = [
    "ConfigError",
    "Diagnostic",
    "Model",
    "Register",
    "Risk",
    "build_date_from_env",
    "load_register",
    "model_from_settings",
]
