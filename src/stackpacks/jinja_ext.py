"""A Jinja extension that compiles each template string once per render.

copier renders every part of every path as its own template, and re-renders the answers-file
path for each part too: ~850 `from_string` compilations for a pack-1 project, half of the whole
render. The strings repeat, so each is compiled once; rendering is unchanged.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, Template
from jinja2.ext import Extension


class CompileOnce(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        compile_string = environment.from_string
        compiled: dict[str, Template] = {}

        def from_string(source: Any, globals: Any = None, template_class: Any = None) -> Template:
            if globals is not None or template_class is not None or not isinstance(source, str):
                return compile_string(source, globals, template_class)
            if source not in compiled:
                compiled[source] = compile_string(source)
            return compiled[source]

        environment.from_string = from_string  # type: ignore[method-assign]
