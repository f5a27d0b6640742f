"""The instruction-definition DSL: lexer, syntax tree and parser."""

from .ast import (  # noqa: F401
    Body, CacheItem, Definition, DSLWarning, FamilyDef, InputItem, InstDef, LabelDef, Location,
    MacroDef, ParsedFile, PseudoDef, StackItem, UopRef,
)
from .parser import BEGIN_MARKER, END_MARKER, parse_text  # noqa: F401
