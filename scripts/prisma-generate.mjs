// Placeholder until the data layer lands: generates the Prisma clients for both providers.
