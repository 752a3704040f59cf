import type { FinishReason } from '../../src/core/provider.ts';

/** What each recording must assemble into; derived by reading the files, independently of the code. */
export interface Expected {
  text: string | { length: number; startsWith: string; endsWith: string };
  reasoning?: string;
  toolCalls: { id: string | RegExp; name: string; arguments: string; complete: boolean }[];
  usage: { inputTokens: number | null; outputTokens: number | null } | null;
  reason: FinishReason;
  failureCode?: string;
}

const ESCAPED_QUOTES_ARGUMENTS =
  '{"website_path": "/home/user/pace-landing", "tasks": [{"description": "Today you post every run to Strava, ' +
  'but Strava does not answer the question: \\"What should I do next after this run?\\". It is a great log, but ' +
  'it is not adaptive.", "type": "feature", "passes": false}]}';

export const EXPECTED: Record<string, Expected> = {
  'anthropic-text-then-tool-no-args.chunks.txt': {
    text: "I'll update the issue list for you.",
    toolCalls: [
      { id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList', arguments: '{}', complete: true },
    ],
    usage: { inputTokens: 565, outputTokens: 48 },
    reason: 'tool-calls',
  },
  'anthropic-text-then-tool-use.sse.txt': {
    text: "I'll check the current weather in Paris for you.",
    toolCalls: [
      {
        id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn',
        name: 'get_weather',
        arguments: '{"location": "Paris"}',
        complete: true,
      },
    ],
    usage: { inputTokens: 377, outputTokens: 65 },
    reason: 'tool-calls',
  },
  'anthropic-thinking-delta-signature.chunks.txt': {
    text: '925 ÷ 5 = 185',
    reasoning: 'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185',
    toolCalls: [],
    usage: { inputTokens: 69, outputTokens: 53 },
    reason: 'stop',
  },
  'anthropic-tool-input-escaped-quotes.chunks.txt': {
    text: '',
    toolCalls: [
      {
        id: 'toolu_01Cr31vcGoeeRgi3Eo5Ds8qN',
        name: 'website_update',
        arguments: ESCAPED_QUOTES_ARGUMENTS,
        complete: true,
      },
    ],
    usage: { inputTokens: 912, outputTokens: 118 },
    reason: 'tool-calls',
  },
  'anthropic-tool-use-truncated-max-tokens.sse.txt': {
    text: "I'll create a comprehensive tax guide for someone with multiple W2s and save it in a file called taxes.txt. Let me do that for you now.",
    toolCalls: [
      {
        id: 'toolu_01EKqbqmZrGRXy18eN7m9kvY',
        name: 'make_file',
        arguments:
          '{"filename": "taxes.txt", "lines_of_text": [\n"# COMPREHENSIVE TAX GUIDE FOR INDIVIDUALS WITH MULTIPLE W-2s",\n"",\n"## INTRODUCTION",\n"",\n"Filing taxes',
        complete: false,
      },
    ],
    usage: { inputTokens: 450, outputTokens: 124 },
    reason: 'length',
  },
  'llamacpp-gptoss-harmony-usage-timings.chunks.txt': {
    text: '<|channel|>analysis<|message|>User says "test". Likely wants a test response. We\'ll respond acknowledging.<|start|>assistant<|channel|>final<|message|>Got it! If you have any questions or need assistance, just let me know.',
    toolCalls: [],
    usage: { inputTokens: 82, outputTokens: 43 },
    reason: 'stop',
  },
  // The capture starts mid-call: no id or name ever arrives and the arguments are a tail, so not complete.
  'llamacpp-toolcall-args-split-timings-huge-final.sse.txt': {
    text: '',
    toolCalls: [{ id: /^call_/, name: '', arguments: '.nvim"}', complete: false }],
    usage: null,
    reason: 'tool-calls',
  },
  'ollama-api-chat-text-stream.ndjson.txt': {
    text: 'Hello world.',
    toolCalls: [],
    usage: { inputTokens: 29, outputTokens: 4 },
    reason: 'stop',
  },
  'ollama-api-chat-thinking-parallel-toolcalls.ndjson.txt': {
    text: '',
    reasoning: 'The user',
    toolCalls: [
      { id: 'call_zy4pkytc', name: 'weather_get', arguments: '{"city":"Paris"}', complete: true },
      { id: /^call_/, name: 'weather_get', arguments: '{"city":"Lyon"}', complete: true },
    ],
    usage: { inputTokens: 277, outputTokens: 82 },
    reason: 'tool-calls',
  },
  'openai-chat-gpt4o-refusal-logprobs.sse.txt': {
    text: "I'm very sorry, but I can't assist with that request.",
    toolCalls: [],
    usage: { inputTokens: 17, outputTokens: 13 },
    reason: 'stop',
  },
  'openai-chat-gpt4o-usage-chunk-done.sse.txt': {
    text: '{"city":"San Francisco","units":"c"}',
    toolCalls: [],
    usage: { inputTokens: 17, outputTokens: 10 },
    reason: 'stop',
  },
  'openai-chat-text-obfuscation-field.chunks.txt': {
    text: {
      length: 1724,
      startsWith: '**Holiday Name:** Harmony Day\n\n**Date:**',
      endsWith: 'we are all connected through shared human experiences and mutual respect.',
    },
    toolCalls: [],
    usage: { inputTokens: 16, outputTokens: 300 },
    reason: 'stop',
  },
  'openai-compat-deepseek-reasoning-toolcall-split-args.chunks.txt': {
    text: '',
    reasoning:
      'The user is asking for the weather in San Francisco. I need to use the weather tool to get this information. Let me invoke the weather tool with the location parameter set to "San Francisco".',
    toolCalls: [
      {
        id: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF',
        name: 'weather',
        arguments: '{"location": "San Francisco"}',
        complete: true,
      },
    ],
    usage: { inputTokens: 339, outputTokens: 83 },
    reason: 'tool-calls',
  },
  'openai-compat-qwen-toolcall-empty-id-usage-chunk.chunks.txt': {
    text: '',
    toolCalls: [
      {
        id: 'call_eee11723464a4b9eb8cee71d',
        name: 'weather',
        arguments: '{"location": "San Francisco"}',
        complete: true,
      },
    ],
    usage: { inputTokens: 295, outputTokens: 22 },
    reason: 'tool-calls',
  },
  // A Responses-API stream that fails after 200 OK: the error is the result.
  'openai-responses-midstream-error-event.chunks.txt': {
    text: '',
    toolCalls: [],
    usage: null,
    reason: 'error',
    failureCode: 'request-rejected',
  },
  'vllm-style-toolcall-chatcmpl-tool-id.chunks.txt': {
    text: '',
    toolCalls: [
      {
        id: 'chatcmpl-tool-9f149c74c42f265b',
        name: 'webSearchTool',
        arguments: '{"query": "current Berlin weather"}',
        complete: true,
      },
    ],
    usage: { inputTokens: 171, outputTokens: 14 },
    reason: 'tool-calls',
  },
  'vllm-toolcall-args-split-capture.sse.txt': {
    text: '',
    toolCalls: [
      {
        id: 'chatcmpl-tool-ca99dda515524c6abe47d1ea22813507',
        name: 'run_command',
        arguments: '{"command": "ls"}',
        complete: true,
      },
    ],
    usage: null,
    reason: 'tool-calls',
  },
};

/**
 * llama.cpp's native `/completion` stream takes a raw prompt, so using it means applying each model's chat
 * template here; its server's `/v1/chat/completions` does that itself, so only that endpoint is supported.
 */
export const UNSUPPORTED = new Set(['llamacpp-native-completion-stream.chunks.txt']);
