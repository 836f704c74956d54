"""The ``kg`` command: a thin Click layer over the library.

Each command lives in its own module under ``kg.cli`` and is imported only
when it runs (or when ``kg --help`` lists it): command modules import nothing
heavy at top level, so ``kg --help`` starts fast.
"""

from __future__ import annotations

import importlib

import click

from kg import __version__

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

#: command name -> "module:function", in the order ``kg --help`` lists them.
COMMANDS = {
    "check": "kg.cli.check:check",
    "init": "kg.cli.init:init",
    "render": "kg.cli.render:render",
    "add": "kg.cli.add:add",
    "papers": "kg.cli.query:papers",
    "show": "kg.cli.query:show",
    "gaps": "kg.cli.query:gaps",
    "reading-list": "kg.cli.query:reading_list",
    "path": "kg.cli.query:path",
    "export": "kg.cli.export:export",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx):
        return [name for name in COMMANDS if self.get_command(ctx, name) is not None]

    def get_command(self, ctx, cmd_name):
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attr = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:  # command not built yet
                return None
            raise
        return getattr(module, attr)


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="kg")
def main():
    """kg: the concept map of a literature.

    Reads a bibliography (references.bib) and an optional concepts file
    (concepts.yaml), checks them, and turns them into a knowledge graph: an
    interactive concept map, reading lists, answers and exports.
    """
