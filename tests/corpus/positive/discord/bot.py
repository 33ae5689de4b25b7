import discord

WEBHOOK = "https://discord.com/api/webhooks/8447483262993709511/WHfXpB2e3NAoFHJ6eR3SG69LgRl7e6I751F0hIcNpwSYT3YfXK7AndbT-gdlnPImJwnq"
client = discord.Client(intents=discord.Intents.default())
client.run("Mv5GiFfAg2LSXwRNyYxIAnVwv9.oFYD0Z.JGVdqkuZPgOlvwKZDS9dubytBgY2ZvSXtAMDth")
