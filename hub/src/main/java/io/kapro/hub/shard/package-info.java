/**
 * Scale-out: the reconcilers' work split into shards (by Fleet for promotion work, by object for
 * the rest), each owned by one hub replica through a coordination Lease. See {@code
 * docs/design/sharding.md}.
 */
package io.kapro.hub.shard;
