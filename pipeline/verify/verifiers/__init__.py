"""Built-in verifiers; importing this package registers them."""

from pipeline.verify.verifiers import code, ifeval, math, mcq, reasoning_gym, simple

__all__ = ["code", "ifeval", "math", "mcq", "reasoning_gym", "simple"]
