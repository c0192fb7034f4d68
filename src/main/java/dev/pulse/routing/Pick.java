package dev.pulse.routing;

/**
 * The endpoint a caller should use now. Field names are a stable JSON contract.
 *
 * @param service the service asked for
 * @param target the picked target's name
 * @param url its URL
 * @param score its score
 * @param weight its weight
 * @param panic whether the pick ignored health because too few targets were eligible
 */
public record Pick(String service, String target, String url, double score, double weight, boolean panic) {
}
