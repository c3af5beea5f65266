"""Jinja extensions the templates load through copier (`_jinja_extensions` in templates/copier.yml).

- `CompileOnce`: copier renders every part of every path as its own template, and re-renders the
  answers-file path for each part too: ~850 `from_string` compilations for a pack-1 project, half
  of the whole render. The strings repeat, so each is compiled once; rendering is unchanged.
- `YamlFilter`: `{{ data | yaml }}` dumps with libyaml when present (the pure-Python dumper behind
  copier's `to_nice_yaml` costs more than the rest of a compose file's render), keys in insertion
  order, block style, 2-space indents.
"""

from __future__ import annotations

from typing import Any

import yaml
from jinja2 import Environment, Template
from jinja2.ext import Extension

Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


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


def to_yaml(data: Any) -> str:
    text: str = yaml.dump(
        data, Dumper=Dumper, sort_keys=False, default_flow_style=False, width=100, indent=2
    )
    return text


class YamlFilter(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["yaml"] = to_yaml
