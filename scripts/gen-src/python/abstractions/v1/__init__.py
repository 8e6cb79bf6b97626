"""Generated messages and service stubs of abstractions.v1 (scripts/gen-src.sh: do not edit)."""
