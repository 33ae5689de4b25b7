export const client = new ApiClient({
  baseUrl: "https://api.partner.example.net",
  webhook_secret: "KMcjdLcb67eOFvauiGAUivladX8ovWWjkHV2G574",
  password: "ZcptG5aDlJbVQd8W",
});
