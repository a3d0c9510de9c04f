// Addresses both the host and the webview show to the user.

/** Where a ModelsLab user creates an API key. */
export const GET_KEY_URL = 'https://modelslab.com/dashboard/api-keys';
