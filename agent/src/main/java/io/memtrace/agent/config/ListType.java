package io.memtrace.agent.config;

import io.memtrace.agent.config.ValueType.BadValue;
import java.util.ArrayList;
import java.util.List;

/** A list type: a YAML sequence, or a comma list in the file, the environment or a property. */
final class ListType<T> implements ValueType<T> {

  /** Validates the items of a list. */
  interface ItemsParser<T> {
    T parse(List<String> items) throws BadValue;
  }

  private final String description;
  private final ItemsParser<T> parser;

  ListType(String description, ItemsParser<T> parser) {
    this.description = description;
    this.parser = parser;
  }

  @Override
  public T parse(String text) throws BadValue {
    List<String> items = new ArrayList<>();
    for (String item : text.split(",")) {
      if (!item.trim().isEmpty()) {
        items.add(item.trim());
      }
    }
    return parser.parse(items);
  }

  @Override
  public T parseList(List<String> items) throws BadValue {
    return parser.parse(new ArrayList<>(items));
  }

  @Override
  public String describe() {
    return description;
  }
}
