/** Chat templates: renders a tokenizer_config.json chat_template exactly as transformers does. */
package io.podserve.model.chat;
