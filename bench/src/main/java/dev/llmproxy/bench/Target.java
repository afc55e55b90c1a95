package dev.llmproxy.bench;

/**
 * Where one leg of an interleaved round sends its requests; {@code FLOOR} ({@link ContainerFloor}) is
 * measured beside the saturation rounds, not as a leg of them.
 */
enum Target { DIRECT, GATEWAY, PEER, FLOOR }
