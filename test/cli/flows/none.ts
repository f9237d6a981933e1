/** A module without a flow. */
export const answer = 42;
