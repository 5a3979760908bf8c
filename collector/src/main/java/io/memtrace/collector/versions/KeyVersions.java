package io.memtrace.collector.versions;

import java.util.List;

/**
 * A record's versions, oldest first ({@link VersionHistory}).
 *
 * @param key       the key asked
 * @param versions  the versions shown, oldest first
 * @param truncated whether older versions were left out (the limit)
 * @param captured  how many of the versions shown carry a captured value
 * @param notes     what the answer cannot know, in words
 */
public record KeyVersions(String key, List<Version> versions, boolean truncated, int captured, List<String> notes) {

  public KeyVersions {
    versions = List.copyOf(versions);
    notes = List.copyOf(notes);
  }
}
