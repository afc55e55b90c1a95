package dev.llmproxy.bench;

/** Where one leg of an interleaved round sends its requests. */
enum Target { DIRECT, GATEWAY, PEER }
