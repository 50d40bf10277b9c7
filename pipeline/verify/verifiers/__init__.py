"""Built-in verifiers; importing this package registers them."""

from pipeline.verify.verifiers import code, ifeval, llm_judge, math, mcq, reasoning_gym, simple

__all__ = ["code", "ifeval", "llm_judge", "math", "mcq", "reasoning_gym", "simple"]
