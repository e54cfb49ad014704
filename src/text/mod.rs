//! Segmentation: paragraphs, sentences and quotations with spans into the body.
