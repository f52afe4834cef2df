// React 19 + ink-testing-library: without an act environment, keys written between renders get lost
// (reference.md). Tests wrap stdin writes in `await act(async () => ...)`.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
// Never let a developer's real keys reach a test.
delete process.env.OPENAI_API_KEY;
delete process.env.ANTHROPIC_API_KEY;
delete process.env.OPENAI_BASE_URL;
delete process.env.ANTHROPIC_BASE_URL;
delete process.env.HF_TOKEN;
delete process.env.HF_ENDPOINT;
