"""How the generator draws: Zipf-weighted choices, invented surnames, template slots."""

import bisect
import itertools

from .vocabulary import RARE_TERM, SURNAMES, SYLLABLES


class Zipf:
    """Draws items with weights 1/rank**exponent: the first items often, the last rarely."""

    def __init__(self, items, exponent=1.0):
        self.items = list(items)
        self.cumulative = list(
            itertools.accumulate(1 / rank**exponent for rank in range(1, len(self.items) + 1))
        )

    def __call__(self, rng):
        index = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return self.items[min(index, len(self.items) - 1)]


class Weighted(Zipf):
    def __init__(self, weights):
        self.items = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))


def invented_surnames(rng, count):
    """A long tail of plausible Andean surnames, none of them a benchmark term."""
    names, seen = [], set(SURNAMES)
    while len(names) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
        word = word.capitalize()
        if word not in seen and RARE_TERM.lower() not in word.lower():
            seen.add(word)
            names.append(word)
    return names


class Slots(dict):
    """Template slots; a slot the record has not fixed is drawn when a template asks for it."""

    def __init__(self, draw, **fixed):
        super().__init__(fixed)
        self.draw = draw

    def __missing__(self, key):
        value = self[key] = self.draw(key)
        return value
