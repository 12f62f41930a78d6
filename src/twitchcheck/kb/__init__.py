"""The knowledge base: schema, loader and the packaged data."""

from twitchcheck.kb.loader import load_kb, load_kb_from_path
from twitchcheck.kb.model import KnowledgeBase

__all__ = ["KnowledgeBase", "load_kb", "load_kb_from_path"]
