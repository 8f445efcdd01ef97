"""texts: job texts rendered in the reader's language, falling back to the stored text."""
from disclosure import texts


def test_broken_parameters_fall_back_to_the_stored_text():
    assert texts.render("missed_entry", {"title": "x"}, "原文") == "原文"
    assert texts.render("no_such_code", {}, "原文") == "原文"
