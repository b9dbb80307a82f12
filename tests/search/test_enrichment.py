"""Enrichment: the real embedding, reading time, keywords, and the query language."""
import numpy as np
import pytest

from search.enrichment import extract_keywords, reading_time_minutes
from search.query import parse
from search.ranking import reciprocal_rank_fusion


@pytest.mark.slow
def test_embeddings_are_unit_vectors_that_place_paraphrases_close(model):
    vectors = model.embed([
        "How do I bake sourdough bread at home?",
        "A guide to making leavened loaves in your kitchen",
        "Kubernetes cluster autoscaling with the horizontal pod autoscaler",
    ])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > 0.4 > 0.2 > similarity[0, 2]


def test_reading_time_rounds_up_at_230_words_a_minute():
    assert reading_time_minutes("") == 1
    assert reading_time_minutes("word " * 230) == 1
    assert reading_time_minutes("word " * 231) == 2


def test_keywords_skip_stopwords_and_favour_repeated_content_words():
    text = ("Sourdough bread needs a starter. The starter feeds on flour and water; a lively starter makes "
            "the sourdough rise. Bake the bread in a hot oven.")
    keywords = extract_keywords(text, limit=3)
    assert keywords[0] == "starter"
    assert set(keywords) <= {"starter", "sourdough", "bread"}
    assert not {"the", "and", "a", "in"} & set(extract_keywords(text, limit=20))


def test_query_language():
    query = parse('Bread "Pod  Autoscaler" auto* "single" e-mail')
    assert query.terms == ("bread", "single", "e", "mail")
    assert query.phrases == (("pod", "autoscaler"),)
    assert query.prefixes == ("auto",)
    assert parse("  !!! ").is_empty


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = dict(reciprocal_rank_fusion([1, 2, 3], [3, 1, 4]))
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert max(fused, key=fused.get) == 1 and fused[3] > fused[2] and 4 in fused
