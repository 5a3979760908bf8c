package com.acme.fleet;

/** One test of a plan: {@code UserService.create} and its priority. */
public record TestCase(String name, String priority) {
}
