package io.fabric8.mockwebserver.crud;

import java.util.Collection;
import java.util.Collections;

/**
 * Read access to the attributes of an {@link AttributeSet}, which fabric8's mock web server keeps
 * package-private; the local API server's label index ({@code io.kapro.api.testing.ObjectIndex})
 * needs to list an object's labels. Read-only: nothing here changes fabric8's store.
 */
public final class AttributeSets {
  private AttributeSets() {}

  /** The attributes of {@code set}, unmodifiable. */
  public static Collection<Attribute> attributes(AttributeSet set) {
    return Collections.unmodifiableCollection(set.attributes.values());
  }
}
