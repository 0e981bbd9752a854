package ying.captioner.model;

/** A generated caption and the model's confidence in it: the mean log-probability of its tokens. */
public record Caption(String text, double confidence) {}
