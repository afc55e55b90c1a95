package dev.llmproxy.config;

/**
 * One {@code user-limits} entry: the limits of users the container signed in ({@code client-auth: container|both}),
 * chosen by user name or by role. Each user is counted on their own, also when a role entry applies. Immutable.
 *
 * @param user the principal name this entry is for, or {@code ""} when it is for a role
 * @param role the container role this entry is for, or {@code ""} when it is for a user
 */
public record UserLimitsConfig(String user, String role, LimitsConfig limits) {}
