/**
 * The process-wide budget for large buffers ({@link dev.llmproxy.buffers.LargeBufferBudget}) and the
 * per-exchange accounts that reserve from it. Imports nothing else of the gateway, so every layer may use it.
 */
package dev.llmproxy.buffers;
