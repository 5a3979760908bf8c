package com.acme.notes;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code PUT /notes/{key}} stores the body as the note; {@code GET /notes/{key}} reads it back (404 when none). */
@RestController
public class NotesController {

  private final NoteMemory notes;

  public NotesController(NoteMemory notes) {
    this.notes = notes;
  }

  @PutMapping(path = "/notes/{key}", consumes = "*/*")
  public ResponseEntity<Void> put(@PathVariable("key") String key, @RequestBody String value) {
    notes.store(key, value);
    return ResponseEntity.noContent().build();
  }

  @GetMapping(path = "/notes/{key}", produces = "text/plain")
  public ResponseEntity<String> get(@PathVariable("key") String key) {
    String value = notes.retrieve(key);
    return value == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(value);
  }
}
