"""Near-identical texts by MinHash and locality-sensitive hashing (datasketch).

Each text becomes a set of word shingles and a MinHash signature; the LSH
index buckets signatures so that only texts sharing a band are compared.
The cost grows linearly with the number of texts: no pair is compared unless
the index proposes it.
"""

import re
from collections.abc import Iterable, Iterator

from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"\w+", re.UNICODE)
SEED = 526  # fixed: the same texts always give the same signatures


def shingles(text: str, size: int) -> set[bytes]:
    words = WORD.findall((text or "").lower())
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def near_duplicate_pairs(
    texts: Iterable[tuple[int, int, str, str]], *, threshold: float, num_perm: int, shingle: int, batch: int = 2000
) -> Iterator[tuple[tuple[int, str], tuple[int, str], float]]:
    """Pairs of texts of different owners whose estimated Jaccard similarity reaches `threshold`.

    `texts` yields (id, owner, label, text); two texts of the same owner (one SME) are never a pair."""
    # The index proposes candidates generously (a lower threshold, false negatives weighed heavier);
    # every candidate is then checked against `threshold` with its signatures.
    lsh = MinHashLSH(threshold=max(0.3, threshold - 0.2), num_perm=num_perm, weights=(0.2, 0.8))
    signatures: dict[int, tuple[int, str, MinHash]] = {}
    template = MinHash(num_perm=num_perm, seed=SEED)
    chunk: list[tuple[int, int, str, set]] = []

    def flush():
        hashes = MinHash.bulk(
            [c[3] for c in chunk],
            num_perm=num_perm,
            seed=SEED,
            permutations=template.permutations,
            scheme=template.scheme,
        )
        for (pk, owner, label, _), signature in zip(chunk, hashes):
            signatures[pk] = (owner, label, signature)
            lsh.insert(pk, signature, check_duplication=False)
        chunk.clear()

    for pk, owner, label, text in texts:
        words = shingles(text, shingle)
        if words:
            chunk.append((pk, owner, label, words))
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    for pk, (owner, label, signature) in signatures.items():
        for other in lsh.query(signature):
            if other <= pk:
                continue
            other_owner, other_label, other_signature = signatures[other]
            if other_owner == owner:
                continue
            similarity = signature.jaccard(other_signature)
            if similarity >= threshold:
                yield (pk, label), (other, other_label), similarity
