/** Shared enrollment contracts: the bootstrap token format the hub and the CLI agree on. */
package io.kapro.api.enrollment;
