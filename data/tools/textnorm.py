"""The crate's text normalisation (`taxonomy::normalise`), for the data tools."""

FOLD = {"a": "àáâãäåā", "c": "çćč", "e": "èéêëēę", "i": "ìíîïī", "n": "ñń", "o": "òóôõöøō",
        "u": "ùúûüū", "y": "ýÿ", "s": "šś", "z": "žźż", "l": "ł"}
ACCENTS = str.maketrans({c: base for base, cs in FOLD.items() for c in cs})


def normalise(text):
    """The crate's `taxonomy::normalise`: lowercase, accents folded, punctuation other than
    + and # as spaces, a plural s dropped from words over three letters."""
    words, word = [], []
    for c in text.lower().translate(ACCENTS):
        if c.isalnum() or c in "+#":
            word.append(c)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    out = []
    for w_ in words:
        if len(w_) > 3 and w_.endswith("s") and not w_.endswith(("ss", "us", "is")):
            w_ = w_[:-1]
        out.append(w_)
    return " ".join(out)
