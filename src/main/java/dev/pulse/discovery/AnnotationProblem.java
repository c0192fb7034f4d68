package dev.pulse.discovery;

/**
 * One annotation of a Service that Pulse cannot use.
 *
 * @param annotation the annotation, such as {@code pulse.dev/interval}
 * @param message what is wrong with it
 */
record AnnotationProblem(String annotation, String message) {
}
