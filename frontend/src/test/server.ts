import { setupServer } from "msw/node";

/** The network for component tests: every test adds the handlers it needs. */
export const server = setupServer();
