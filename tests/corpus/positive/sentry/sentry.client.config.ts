import * as Sentry from "@sentry/nextjs";

Sentry.init({
  dsn: "https://39e204897222c3bcb91257eebab48d3e@o926667.ingest.us.sentry.io/4521208",
  tracesSampleRate: 0.1,
});
