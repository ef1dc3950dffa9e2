"""The English sentences both sides of the end-to-end text comparison embed: made by a seeded generator (so nothing
is downloaded and every run embeds the same texts), 10 to 40 words each, like the short passages and queries a
retrieval system embeds."""

import random

_SUBJECTS = ["the old fisherman", "a young engineer", "our neighbour's dog", "the city council", "a small bakery",
             "the research team", "my grandmother", "a delivery drone", "the night train", "the museum curator",
             "a quiet student", "the football club", "an elderly couple", "the new manager", "a stray cat",
             "the orchestra", "a local farmer", "the hospital staff", "a travelling musician", "the weather service"]
_VERBS = ["repaired", "photographed", "described", "carried", "painted", "discovered", "explained", "delivered",
          "measured", "cleaned", "rebuilt", "translated", "celebrated", "inspected", "borrowed", "announced"]
_OBJECTS = ["a wooden boat", "the broken bridge", "three red bicycles", "an ancient map", "the solar panels",
            "a basket of apples", "the annual report", "a hand-written letter", "the stone fountain",
            "a collection of rare stamps", "the mountain trail", "the harbour lights", "a vintage camera",
            "the community garden", "a stack of library books", "the river crossing"]
_PLACES = ["near the harbour", "at the edge of town", "behind the railway station", "in the crowded market",
           "on a foggy hill", "beside the frozen lake", "in the university library", "under the old oak tree",
           "across the narrow valley", "inside the glass greenhouse"]
_TIMES = ["early on Monday morning", "after a long winter", "during the summer festival", "before the storm arrived",
          "late last night", "at sunrise", "over the weekend", "in the middle of the afternoon"]
_CLAUSES = ["because nobody else knew how to do it", "while the children watched from a distance",
            "although the forecast promised heavy rain", "so that the visitors could see it clearly",
            "even though the tools were missing", "and then wrote a short note about the experience",
            "before anyone could ask a single question", "which surprised everyone who had doubted the plan",
            "and the photographs were shared with the whole neighbourhood", "as the bells rang in the distance"]
_EXTRAS = ["Later, the local newspaper printed a long article about it.", "Nobody expected the result to last so long.",
           "It was the first time in many years.", "Several people stopped to ask questions.",
           "The work took far longer than anyone had planned.", "Everyone agreed it had been worth the effort."]


def sentences(count=256, seed=20261121):
    """count texts of 10 to 40 words, the same for the same arguments."""
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        parts = [rng.choice(_SUBJECTS).capitalize(), rng.choice(_VERBS), rng.choice(_OBJECTS)]
        if rng.random() < 0.7:
            parts.append(rng.choice(_PLACES))
        if rng.random() < 0.6:
            parts.append(rng.choice(_TIMES))
        if rng.random() < 0.5:
            parts.append(rng.choice(_CLAUSES))
        text = " ".join(parts) + "."
        while rng.random() < 0.45 and len(text.split()) < 30:
            text += " " + rng.choice(_EXTRAS)
        if 10 <= len(text.split()) <= 40:
            out.append(text)
    return out
